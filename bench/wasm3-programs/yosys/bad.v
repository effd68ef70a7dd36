module bad(input a, output b);
  assign b = a +;
endmodule
