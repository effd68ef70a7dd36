module add(input [7:0] a, input [7:0] b, output [8:0] s);
  assign s = a + b;
endmodule
