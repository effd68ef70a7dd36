module mul(input [31:0] a, input [31:0] b, input clk, output reg [63:0] p);
  always @(posedge clk) p <= a * b;
endmodule
